# The portal's image: small, non-root, read-only root filesystem friendly.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY portal_api ./portal_api
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY --from=build /install /usr/local
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin portal
USER 10001
WORKDIR /tmp
EXPOSE 8080
ENTRYPOINT ["genai-portal"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]

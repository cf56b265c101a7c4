export { PromptsCard } from "./PromptsCard";

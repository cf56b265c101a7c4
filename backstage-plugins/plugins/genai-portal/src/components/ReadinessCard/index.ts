export { ReadinessCard } from "./ReadinessCard";

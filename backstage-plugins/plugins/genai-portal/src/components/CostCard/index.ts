export { CostCard } from "./CostCard";

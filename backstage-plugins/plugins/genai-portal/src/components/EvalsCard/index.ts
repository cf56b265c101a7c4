export { EvalsCard } from "./EvalsCard";

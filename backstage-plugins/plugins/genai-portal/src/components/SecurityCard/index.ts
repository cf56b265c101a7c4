export { SecurityCard } from "./SecurityCard";

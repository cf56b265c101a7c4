export { UsageCard } from "./UsageCard";

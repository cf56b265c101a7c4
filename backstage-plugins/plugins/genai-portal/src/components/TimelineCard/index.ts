export { TimelineCard } from "./TimelineCard";

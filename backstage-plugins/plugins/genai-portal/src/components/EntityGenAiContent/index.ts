export { EntityGenAiContent } from "./EntityGenAiContent";

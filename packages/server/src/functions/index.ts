// Function declarations as users write them: a SAM/CloudFormation template or one handler file.
export { loadTemplate } from "./load-template.js";
export type { LoadedTemplate, LoadTemplateOptions } from "./load-template.js";
export { PARAMETER_NAME } from "./parameter-overrides.js";
export { loadHandlerFile, HANDLER_FILE_DEFAULTS } from "./load-handler-file.js";
export { TemplateError } from "./template-error.js";
export type { TemplateErrorLocation } from "./template-error.js";
export { HANDLER_EXTENSIONS, SUPPORTED_RUNTIMES } from "./handler-file.js";

/* global module, require, __filename */
// A CommonJS handler assigned to module.exports, which static export detection cannot see.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- this fixture is CommonJS on purpose
const { basename } = require("node:path");

module.exports = {
  handler: async (event) => ({ file: basename(__filename), event }),
};

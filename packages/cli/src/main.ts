// Entry point of the `dormouse` binary (bin/dormouse.js loads this through tsx).
import { run } from "./program.js";

// Not process.exit(): let stdout drain when it is a pipe.
process.exitCode = await run(process.argv);

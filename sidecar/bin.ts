/** Entry point of the bundled `sqsd` (dist/sqsd.cjs): always runs. */
import { run } from "./main";

run();

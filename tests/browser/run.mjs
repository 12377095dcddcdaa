#!/usr/bin/env node
// The dashboard page's browser tests: Debian's Chromium, headless, driven by playwright-core against a real
// `vapidash serve`, with `vapidash simulate` as VAPI for listening and control. Installs its pinned npm
// dependencies (package-lock.json) into --deps on first use.
//   node tests/browser/run.mjs --vapidash build/dev/cli/vapidash [--artifacts DIR] [--deps DIR] [--page FILE]
// --page serves FILE (e.g. web/index.html) as the page instead of the one compiled into the binary: edit the
// page and re-run without relinking.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: {
  vapidash: { type: "string" },
  artifacts: { type: "string", default: path.resolve("browser-artifacts") },
  deps: { type: "string", default: path.join(here, ".deps") },
  page: { type: "string" },
} });

function fail(message) {
  console.error("\n*** browser tests cannot run: " + message + "\n");
  process.exit(1);
}

const [major] = process.versions.node.split(".").map(Number);
if (major < 20) fail("playwright-core needs Node.js 20 or newer, this is " + process.version);
if (!values.vapidash || !fs.existsSync(values.vapidash)) fail("--vapidash must name the built binary");
const chromium = process.env.VAPIDASH_CHROMIUM || "/usr/bin/chromium";
if (!fs.existsSync(chromium)) {
  fail(chromium + " is missing. Install Debian's Chromium: sudo apt-get install chromium " +
       "(scripts/install-deps.sh --test does), or point VAPIDASH_CHROMIUM at a Chromium binary.");
}

// npm ci only when the lock file changed since the last install.
const lock = fs.readFileSync(path.join(here, "package-lock.json"), "utf8");
const installedLock = path.join(values.deps, "package-lock.json");
if (!fs.existsSync(installedLock) || fs.readFileSync(installedLock, "utf8") !== lock ||
    !fs.existsSync(path.join(values.deps, "node_modules"))) {
  fs.mkdirSync(values.deps, { recursive: true });
  for (const file of ["package.json", "package-lock.json"]) fs.copyFileSync(path.join(here, file), path.join(values.deps, file));
  console.log("browser tests: npm ci in " + values.deps);
  try {
    execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: values.deps, stdio: "inherit" });
  } catch (error) {
    fail("npm ci failed (" + error.message + "): the npm registry must be reachable once to install playwright-core");
  }
}

fs.mkdirSync(values.artifacts, { recursive: true });
process.env.VAPIDASH_BINARY = path.resolve(values.vapidash);
process.env.VAPIDASH_ARTIFACTS = path.resolve(values.artifacts);
process.env.VAPIDASH_BROWSER_DEPS = path.resolve(values.deps);
process.env.VAPIDASH_CHROMIUM = chromium;
if (values.page) process.env.VAPIDASH_PAGE = path.resolve(values.page);
await import("./dashboard.test.mjs");

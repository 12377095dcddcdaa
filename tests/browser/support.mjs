// What the browser tests drive: a real `vapidash serve`, VAPI's webhooks sent by the test, and `vapidash simulate`
// playing VAPI's side of a live call (its webhooks, listen URL and control URL).
import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";

export async function until(what, condition, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// `vapidash serve` on 127.0.0.1 (port 0: a free one), ready once its banner names the address.
export class Server {
  constructor(binary, directory, extraArgs = []) {
    this.binary = binary;
    this.directory = directory;
    this.extraArgs = extraArgs;
    this.port = 0;
    this.stderr = "";
  }

  get base() { return "http://127.0.0.1:" + this.port; }

  async start(port = this.port) {
    const args = ["serve", "--listen", "127.0.0.1:" + port, "--db", path.join(this.directory, "calls.db"),
                  "--log-level", "warn", "--threads", "2", "--sync", "normal", ...this.extraArgs];
    this.child = spawn(this.binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child.stderr.on("data", (chunk) => { this.stderr += chunk; });
    const exited = once(this.child, "exit").then(([code]) => {
      throw new Error("vapidash serve exited with " + code + " before serving:\n" + this.stderr);
    });
    const banner = new Promise((resolve) => {
      readline.createInterface({ input: this.child.stdout }).on("line", (line) => {
        const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
        if (match) resolve(Number(match[1]));
      });
    });
    const served = await Promise.race([banner, exited]);
    exited.catch(() => {});
    return served;
  }

  async listen(port = 0) {
    this.port = await this.start(port);
  }

  async stop() {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = once(this.child, "exit");
    this.child.kill("SIGTERM");
    await exited;
  }

  async post(pathname, body, headers = {}) {
    const response = await fetch(this.base + pathname, {
      method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(pathname + " answered " + response.status + ": " + JSON.stringify(answer));
    return answer;
  }

  async get(pathname, headers = {}) {
    const response = await fetch(this.base + pathname, { headers });
    return { status: response.status, body: await response.json() };
  }
}

// VAPI's webhooks for one tenant. Every message gets its own timestamp: a repeated one would be a re-delivery.
let clock = 0;
export class Vapi {
  constructor(server, client) {
    this.server = server;
    this.client = client;
  }

  send(type, callId, fields = {}, call = {}) {
    clock = Math.max(clock + 1, Date.now());
    const message = { type, timestamp: clock, call: { id: callId, ...call }, ...fields };
    return this.server.post("/webhooks/vapi/" + this.client, { message });
  }

  status(callId, status, { phone, monitor, fields, call } = {}) {
    return this.send("status-update", callId, { status, ...(phone ? { customer: { number: phone } } : {}), ...fields },
                     { status, ...(monitor ? { monitor } : {}), ...call });
  }

  line(callId, role, text, final = true) {
    return this.send("transcript", callId, { role, transcript: text, transcriptType: final ? "final" : "partial" });
  }

  report(callId, { summary, endedReason = "customer-ended-call", recordingUrl }) {
    return this.send("end-of-call-report", callId, {
      endedReason, durationSeconds: 42, cost: 0.0731, analysis: { summary },
      artifact: { transcript: "", ...(recordingUrl ? { recordingUrl } : {}) },
    });
  }
}

// `vapidash simulate` as VAPI for one tenant: it sends its calls' webhooks to the server and serves their listen
// and control URLs itself. Its calls (PREFIX-1, ...) are held: they talk until their control URL ends them or
// stop() does. Its --json events are kept in order.
export class Simulation {
  constructor(binary, server, client, prefix) {
    this.binary = binary;
    this.server = server;
    this.client = client;
    this.prefix = prefix;
    this.events = [];
    this.stderr = "";
  }

  async start() {
    const args = ["--server", this.server.base, "--json", "simulate", "--client", this.client,
                  "--call-prefix", this.prefix, "--hold", "--call-length", "4s"];
    this.child = spawn(this.binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child.stderr.on("data", (chunk) => { this.stderr += chunk; });
    readline.createInterface({ input: this.child.stdout }).on("line", (line) => this.events.push(JSON.parse(line)));
    // "close" comes after the last line of its output: an event not seen by then never comes.
    this.exited = new Promise((resolve) => this.child.on("close", (code, signal) => {
      this.exit = code ?? signal;
      resolve(this.exit);
    }));
    await this.event("its listen and control URLs", (event) => event.event === "listening");
  }

  event(what, predicate) {
    return until(what, () => {
      const found = this.events.find(predicate);
      if (!found && this.exit !== undefined) {
        throw new Error("vapidash simulate exited with " + this.exit + " before " + what + ":\n" + this.stderr);
      }
      return found;
    });
  }

  answered(callId) {
    return this.event(callId + " to be answered", (event) =>
      event.event === "webhook" && event.call_id === callId && event.type === "status-update" && event.detail === "in-progress");
  }

  controls(callId) {
    return this.events.filter((event) => event.event === "control" && event.call_id === callId).map((event) => event.body);
  }

  // SIGTERM ends the live calls, with their webhooks, before simulate exits: 0 when every webhook was answered 2xx.
  async stop() {
    if (!this.child) return undefined;
    if (this.exit === undefined) this.child.kill("SIGTERM");
    return this.exited;
  }
}

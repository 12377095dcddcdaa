// 50 calls listened to at once through GET /ws/listen (issue 12): the latency the relay adds to each audio
// frame and the server's CPU per listener. Run by ./run, which passes the vapidash binary.
//   1. fake_vapi.mjs (a child process) plays VAPI: CALLS calls, each sending a 1280-byte frame every 20 ms to
//      its listen URL; a fresh `vapidash serve` learns the calls' listen URLs from in-progress webhooks
//   2. direct phase: one listener per call on the listen URLs themselves, for DURATION seconds: the baseline
//      latency, and the server's CPU with no listener (idle)
//   3. proxied phase: one listener per call through ws://SERVER/ws/listen/{client}/{call}, for DURATION seconds
// Latency = receive time - the send time the frame carries (both CLOCK_MONOTONIC). A phase measures the frames
// sent between its start and end marks, once every listener has heard its call; "expected" is what the calls
// sent in that window, "received" what arrived of it (waiting up to 10 s after the end mark for late frames).
// Env: CALLS (default 50), DURATION (seconds per phase, default 20), SERVER_THREADS (default: one per CPU).
import { execFileSync, fork, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import WebSocket from "ws";

const binary = process.argv[2];
const calls = Number(process.env.CALLS ?? 50);
const durationSeconds = Number(process.env.DURATION ?? 20);
const serverThreads = process.env.SERVER_THREADS;
const client = "listen-bench";
const clockTicksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"]));
const framesPerSecond = 50;  // fake_vapi.mjs sends a frame every 20 ms
const drainLimitMs = 10000;  // how long a phase waits after its end mark for the window's last frames

function startServer(workdir) {
  const options = ["serve", "--listen", "127.0.0.1:0", "--db", path.join(workdir, "calls.db"),
    "--max-listeners-per-call", "8", "--max-listeners", String(Math.max(256, calls)), "--log-level", "warn"];
  if (serverThreads) options.push("--threads", serverThreads);
  const server = spawn(binary, options, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: server.stdout }).on("line", (line) => {
      const url = /serving (http:\/\/\S+)/.exec(line)?.[1];
      if (url) resolve({ process: server, url });
    });
    server.on("exit", (code) => reject(new Error("the server exited (" + code + ") before serving")));
  });
}

async function startFakeVapi() {
  const vapi = fork(new URL("fake_vapi.mjs", import.meta.url), [String(calls)]);
  const [message] = await once(vapi, "message");
  return { process: vapi, port: message.port };
}

// Each call's next sequence number, i.e. the first frame sent after this moment.
async function mark(vapi) {
  vapi.process.send({ mark: true });
  const [message] = await once(vapi.process, "message");
  return message.sequences;
}

function serverCpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;  // utime + stime
}

function serverRssMb(pid) {
  const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1];
  return Number(kb) / 1024;
}

async function droppedFrames(serverUrl) {
  const metrics = await (await fetch(serverUrl + "/metrics")).text();
  const count = /vapidash_listen_dropped_frames_total\{direction="to_listener"\} (\d+)/.exec(metrics)?.[1];
  return count === undefined ? null : Number(count);
}

async function registerCalls(serverUrl, vapiPort) {
  for (let call = 0; call < calls; ++call) {
    const message = { type: "status-update", status: "in-progress",
      call: { id: `call-${call}`, monitor: { listenUrl: `ws://127.0.0.1:${vapiPort}/c${call}` } } };
    const response = await fetch(`${serverUrl}/webhooks/vapi/${client}`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message }) });
    if (!response.ok) throw new Error(`webhook for call-${call}: HTTP ${response.status} ${await response.text()}`);
  }
}

// One listener per call on urlOf(call); returns each call's frames as [sequence, latency ms] and the phase's
// marks and server readings.
async function listenPhase(vapi, server, urlOf) {
  const frames = Array.from({ length: calls }, () => []);
  let closing = false;
  const broken = [];  // listeners closed by the other end
  const sockets = [];
  const firstFrames = [];
  for (let call = 0; call < calls; ++call) {
    const socket = new WebSocket(urlOf(call));
    socket.binaryType = "nodebuffer";
    firstFrames.push(new Promise((resolve, reject) => {
      socket.on("message", (data, isBinary) => {
        const now = process.hrtime.bigint();
        if (!isBinary) return;
        frames[call].push([data.readUInt32LE(8), Number(now - data.readBigUInt64LE(0)) / 1e6]);
        resolve();
      });
      socket.on("error", reject);
      socket.on("close", (code, reason) => {
        if (closing) return;
        broken.push(`call-${call}: ${code} ${reason}`);
        reject(new Error(`the listener of call-${call} was closed: ${code} ${reason}`));
      });
    }));
    sockets.push(socket);
  }
  await Promise.all(firstFrames);

  const start = { sequences: await mark(vapi), cpu: serverCpuSeconds(server.process.pid),
    dropped: await droppedFrames(server.url), time: process.hrtime.bigint() };
  let rssMaxMb = 0;
  const rssSampler = setInterval(() => { rssMaxMb = Math.max(rssMaxMb, serverRssMb(server.process.pid)); }, 250);
  await sleep(durationSeconds * 1000);
  const end = { sequences: await mark(vapi), cpu: serverCpuSeconds(server.process.pid), time: process.hrtime.bigint() };
  clearInterval(rssSampler);
  const heardUpTo = (call) => frames[call].at(-1)?.[0] ?? -1;
  for (let waited = 0; waited < drainLimitMs; waited += 50) {
    if (end.sequences.every((next, call) => heardUpTo(call) >= next - 1)) break;
    await sleep(50);
  }
  end.dropped = await droppedFrames(server.url);
  if (broken.length > 0) throw new Error("listeners were closed during the phase: " + broken.join(", "));
  closing = true;
  for (const socket of sockets) socket.close();
  await Promise.all(sockets.map((socket) => once(socket, "close")));
  return { frames, start, end, rssMaxMb };
}

function percentile(sorted, p) {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const percentiles = { p50: 50, p90: 90, p99: 99, p999: 99.9 };

function summarise(phase) {
  const latencies = [];
  const firstSecond = [];
  const lastSecond = [];
  let expected = 0;
  phase.frames.forEach((callFrames, call) => {
    const first = phase.start.sequences[call];
    const last = phase.end.sequences[call];
    expected += last - first;
    for (const [sequence, latency] of callFrames) {
      if (sequence < first || sequence >= last) continue;
      latencies.push(latency);
      if (sequence < first + framesPerSecond) firstSecond.push(latency);
      if (sequence >= last - framesPerSecond) lastSecond.push(latency);
    }
  });
  for (const list of [latencies, firstSecond, lastSecond]) list.sort((a, b) => a - b);
  const summary = {};
  for (const [name, p] of Object.entries(percentiles)) summary[name + "_ms"] = round(percentile(latencies, p), 3);
  summary.max_ms = round(latencies.at(-1), 3);
  // A server that keeps up has the same latency at the end as at the start; one that falls behind, a growing one.
  summary.p50_first_second_ms = round(percentile(firstSecond, 50), 3);
  summary.p50_last_second_ms = round(percentile(lastSecond, 50), 3);
  summary.frames_received = latencies.length;
  summary.frames_expected = expected;
  return summary;
}

function round(value, digits) {
  return value === null || value === undefined ? null : Number(value.toFixed(digits));
}

function cpuCorePercent(phase) {
  const seconds = Number(phase.end.time - phase.start.time) / 1e9;
  return (100 * (phase.end.cpu - phase.start.cpu)) / seconds;
}

const workdir = fs.mkdtempSync(path.join(os.tmpdir(), "listen_relay."));
const loadStart = os.loadavg();
const server = await startServer(workdir);
let vapi;
try {
  vapi = await startFakeVapi();
  await registerCalls(server.url, vapi.port);
  const idleRssMb = serverRssMb(server.process.pid);
  const direct = await listenPhase(vapi, server, (call) => `ws://127.0.0.1:${vapi.port}/c${call}`);
  const serverWs = server.url.replace(/^http/, "ws");
  const proxied = await listenPhase(vapi, server, (call) => `${serverWs}/ws/listen/${client}/call-${call}`);
  const loadEnd = os.loadavg();

  const directSummary = summarise(direct);
  const proxiedSummary = summarise(proxied);
  proxiedSummary.dropped_frames = proxied.end.dropped === null ? null : proxied.end.dropped - proxied.start.dropped;
  const added = {};
  for (const name of [...Object.keys(percentiles), "max"]) {
    added[name + "_ms"] = round(proxiedSummary[name + "_ms"] - directSummary[name + "_ms"], 3);
  }
  const idlePercent = cpuCorePercent(direct);
  const proxiedPercent = cpuCorePercent(proxied);
  const result = {
    calls, duration_s: durationSeconds, frame_bytes: 1280, frame_ms: 20, nproc: os.availableParallelism(),
    loadavg_start: loadStart.map((load) => round(load, 2)), loadavg_end: loadEnd.map((load) => round(load, 2)),
    direct: directSummary, proxied: proxiedSummary, added,
    server_cpu_core_percent: { idle: round(idlePercent, 2), proxied: round(proxiedPercent, 2),
      per_listener: round((proxiedPercent - idlePercent) / calls, 3) },
    server_rss_mb: { idle: round(idleRssMb, 1), proxied_max: round(proxied.rssMaxMb, 1) },
  };

  const loadText = (load) => load.map((value) => value.toFixed(2)).join(" ");
  const row = (name, s) => [name.padEnd(8), ...["p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"]
    .map((key) => s[key].toFixed(3).padStart(9))].join(" ");
  console.log(`listen_relay: ${calls} calls, one listener each, ${durationSeconds} s per phase, ` +
    `1280-byte frames every 20 ms; nproc ${result.nproc}, load average ${loadText(loadStart)} at start, ` +
    `${loadText(loadEnd)} at end`);
  console.log("latency ms      p50       p90       p99     p99.9       max");
  console.log(row("direct", directSummary) + `   frames ${directSummary.frames_received}/${directSummary.frames_expected}`);
  console.log(row("proxied", proxiedSummary) + `   frames ${proxiedSummary.frames_received}/${proxiedSummary.frames_expected}` +
    `, dropped by the server ${proxiedSummary.dropped_frames ?? "(no metric)"}`);
  console.log(row("added", added));
  console.log(`p50 in the window's first and last second: direct ${directSummary.p50_first_second_ms} and ` +
    `${directSummary.p50_last_second_ms} ms, proxied ${proxiedSummary.p50_first_second_ms} and ` +
    `${proxiedSummary.p50_last_second_ms} ms`);
  console.log(`server CPU: ${result.server_cpu_core_percent.idle} % of a core idle, ` +
    `${result.server_cpu_core_percent.proxied} % with ${calls} listeners: ` +
    `${result.server_cpu_core_percent.per_listener} % of a core per listener (idle subtracted)`);
  console.log(`server RSS: ${result.server_rss_mb.idle} MB idle, ${result.server_rss_mb.proxied_max} MB at most ` +
    `with the listeners`);
  console.log(JSON.stringify(result));
} finally {
  vapi?.process.disconnect();
  if (server.process.exitCode === null) {
    server.process.kill("SIGINT");
    await once(server.process, "exit");
  }
  fs.rmSync(workdir, { recursive: true, force: true });
}

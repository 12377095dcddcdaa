// Plays VAPI for listen_relay.mjs (forked with an IPC channel): a WebSocket server whose path /c{i} is call i's
// listen URL. Every call sends one 20 ms frame of audio (1280 bytes: s16le, 16 kHz, 2 channels) every 20 ms to
// whoever is connected to its path, the calls' 20 ms spread evenly over the 20 ms. Each frame starts with its
// send time (uint64 LE, nanoseconds of CLOCK_MONOTONIC, which process.hrtime.bigint() reads in every process of
// the machine) and its sequence number within the call (uint32 LE); the rest is a 440 Hz tone.
// IPC: sends {port} once listening; answers {mark} with {sequences}: each call's next sequence number.
import { WebSocketServer } from "ws";

const FRAME_BYTES = 1280;
const FRAME_MS = 20;
const calls = Number(process.argv[2]);

const tone = Buffer.alloc(FRAME_BYTES);
for (let sample = 0; sample < FRAME_BYTES / 4; ++sample) {
  const level = Math.round(8000 * Math.sin((2 * Math.PI * 440 * sample) / 16000));
  tone.writeInt16LE(level, sample * 4);
  tone.writeInt16LE(level, sample * 4 + 2);
}

const listeners = Array.from({ length: calls }, () => new Set());
const nextSequence = new Array(calls).fill(0);

function sendFrame(call) {
  const frame = Buffer.from(tone);
  frame.writeUInt32LE(nextSequence[call]++, 8);
  frame.writeBigUInt64LE(process.hrtime.bigint(), 0);
  for (const socket of listeners[call]) socket.send(frame);
}

// Deadline-paced, so a late timer does not slow the call down: frame k is due at start + k * 20 ms.
function startCall(call) {
  const start = performance.now() + (call * FRAME_MS) / calls;
  const tick = () => {
    sendFrame(call);
    setTimeout(tick, Math.max(0, start + nextSequence[call] * FRAME_MS - performance.now()));
  };
  setTimeout(tick, start - performance.now());
}

const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
server.on("connection", (socket, request) => {
  const call = Number(request.url.slice("/c".length));
  if (!(call >= 0 && call < calls)) return socket.close(4404, "no such call");
  listeners[call].add(socket);
  socket.on("close", () => listeners[call].delete(socket));
  socket.on("error", () => listeners[call].delete(socket));
});
server.on("listening", () => {
  for (let call = 0; call < calls; ++call) startCall(call);
  process.send({ port: server.address().port });
});
process.on("message", (message) => {
  if (message.mark) process.send({ sequences: nextSequence.slice() });
});
process.on("disconnect", () => process.exit(0));

-- wrk script for bench/retention_load: each wrk thread sends CALLS calls of EVENTS webhooks each
-- (wrk ... -- CALLS EVENTS DIR): ringing, in progress, talk (speech-updates and final transcripts), then ended
-- on 2020-01-01, so `serve --retain 30d` must remove them. Once all of a thread's webhooks are answered it
-- stops and creates DIR/done.<thread> (wrk itself runs for its whole -d: the caller stops it).
-- Connections interleave one call's messages with its neighbours', which changes nothing that is stored.
local calls, events, done_dir = 1000, 20, "."
local threads = 0
local sent, answered = 0, 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  calls = tonumber(args[1]) or calls
  events = tonumber(args[2]) or events
  done_dir = args[3] or done_dir
end

local function fields(step)
  if step == 0 then return "status-update", '"status": "ringing"', "" end
  if step == 1 then
    return "status-update", '"status": "in-progress"', ', "startedAt": "2020-01-01T00:00:00Z"'
  end
  if step == events - 1 then
    return "status-update", '"status": "ended", "endedReason": "customer-ended-call"',
      ', "endedAt": "2020-01-01T00:10:00Z"'
  end
  if step % 3 == 0 then
    return "transcript", string.format(
      '"transcriptType": "final", "role": "user", "transcript": "Line %d of an old call."', step), ""
  end
  return "speech-update", string.format('"status": "%s", "role": "assistant", "turn": %d',
    step % 2 == 0 and "started" or "stopped", step), ""
end

local first = true

function request()
  -- wrk calls the first thread's request() once before the run and discards the request (to count
  -- pipelined ones): every thread's first request is a cheap one that may be lost.
  if first or sent >= calls * events then
    first = false
    return wrk.format("GET", "/healthz")
  end
  local call, step = math.floor(sent / events), sent % events
  sent = sent + 1
  local kind, message_fields, call_fields = fields(step)
  local body = string.format(
    '{"message": {"type": "%s", %s, "timestamp": %d, "call": {"id": "old-%d-%d", "status": "in-progress",' ..
    ' "customer": {"number": "+15555550142"}%s}}}', kind, message_fields, 1577836800000 + sent, tid, call,
    call_fields)
  return wrk.format("POST", "/webhooks/vapi/old", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if string.find(body, '"call_id"', 1, true) then answered = answered + 1 end
  if answered == calls * events then
    io.open(done_dir .. "/done." .. tid, "w"):close()
    wrk.thread:stop()
  end
end

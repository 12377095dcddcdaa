-- wrk script: POST a VAPI status-update for a fresh call per request (the webhook's insert path), the same
-- message as scenarios/load/status-update.json sends, so wrk and vapidash load measure the same work.
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"message": {"type": "status-update", "status": "ringing", "timestamp": %d, "call": {"id": "wh-%d-%d",' ..
    ' "status": "ringing", "customer": {"number": "+14155550142"}, "monitor": {' ..
    '"listenUrl": "wss://example.test/%d/listen", "controlUrl": "https://example.test/%d/control"}}}}',
    1795707796145 + counter, tid, counter, counter, counter)
  return wrk.format("POST", "/webhooks/vapi/bench", {["Content-Type"] = "application/json"}, body)
end

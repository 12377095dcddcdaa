-- wrk script: POST create-test-call with a unique call id per request, so every request inserts a new call.
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  counter = counter + 1
  local body = string.format('{"call_id": "bench-%d-%d", "status": "ringing"}', tid, counter)
  return wrk.format("POST", "/api/debug/create-test-call/bench", {["Content-Type"] = "application/json"}, body)
end

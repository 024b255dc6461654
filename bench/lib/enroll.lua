-- wrk script for S1 and S5: every request enrolls one random seeded contact, by email, into a
-- journey drawn at random from a pool, so that two requests rarely name the same contact and journey.
--
-- Environment (read by every wrk thread):
--   BENCH_TOKEN     company API key
--   BENCH_JOURNEYS  comma-separated journey ids (all in state `on`)
--   BENCH_CONTACTS  number of seeded contacts; their emails are u<n>@bench.example.com, n in [0, BENCH_CONTACTS)
--
-- done() prints one line `BENCH_JSON {...}` with the request count, errors and latency percentiles (us).

local token = os.getenv("BENCH_TOKEN")
local contacts = tonumber(os.getenv("BENCH_CONTACTS"))
local journeys = {}
for id in string.gmatch(os.getenv("BENCH_JOURNEYS") or "", "[^,]+") do
  journeys[#journeys + 1] = id
end
if token == nil or contacts == nil or #journeys == 0 then
  error("set BENCH_TOKEN, BENCH_CONTACTS and BENCH_JOURNEYS")
end

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_number or 0) * 7919)
  headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }
end

function request()
  local journey = journeys[math.random(#journeys)]
  local n = math.random(contacts) - 1
  return wrk.format("POST", "/v1/journeys/" .. journey .. "/enroll", headers,
    '{"contact_email_addresses":["u' .. n .. '@bench.example.com"]}')
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,' ..
    '"errors_status":%d,"errors_timeout":%d,"lat_mean_us":%.1f,"lat_p50_us":%d,"lat_p90_us":%d,' ..
    '"lat_p99_us":%d,"lat_max_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end

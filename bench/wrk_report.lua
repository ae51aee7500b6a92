-- wrk script: count non-2xx answers and print the results as one JSON line
-- (wrk's own summary has no 95th percentile and counts only status >= 400 as errors).
-- With BENCH_PATHS (paths separated by spaces) each thread goes round those paths in turn.
local threads = {}
local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "", "%S+") do
   table.insert(paths, path)
end
local turn = 0

if #paths > 0 then
   function request()
      turn = turn + 1
      return wrk.format("GET", paths[(turn % #paths) + 1])
   end
end

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   non2xx = 0
   bad_status = 0
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      bad_status = status
   end
end

function done(summary, latency, requests)
   local non, status = 0, 0
   for _, thread in ipairs(threads) do
      non = non + thread:get("non2xx")
      local s = thread:get("bad_status")
      if s ~= 0 then status = s end
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_s": %.3f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, '
      .. '"non2xx": %d, "bad_status": %d, "socket_errors": %d}\n',
      summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
      latency:percentile(99) / 1e3, non, status, e.connect + e.read + e.write + e.timeout))
end

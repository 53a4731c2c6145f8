-- wrk script of `make bench`: rotate through request lines ("path<TAB>cookie", cookie empty for
-- a visitor) read from the file named after `--`; count every answer that is not a 200; print
-- one JSON line with the totals and the latency percentiles when done.
--
--   wrk -t2 -c16 -d10s -s bench/rotate.lua http://127.0.0.1:PORT -- requests.tsv

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]*)\t?(.*)$")
    local headers = {}
    if cookie ~= "" then
      headers["Cookie"] = cookie
    end
    table.insert(requests, wrk.format("GET", path, headers))
  end
  -- Each thread starts at its own place, so that the threads do not move in step.
  position = (id * 7) % #requests
  not_ok = 0
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local not_ok_total = 0
  for _, thread in ipairs(threads) do
    not_ok_total = not_ok_total + thread:get("not_ok")
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "not_200": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, not_ok_total,
    errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max
  ))
end

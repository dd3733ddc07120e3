-- Shared by the wrk scripts (loaded with dofile): per-thread status counts, a sample of the first
-- unexpected response, and one machine-readable BENCH line from done(). Expects EXPECT (status).
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + id * 7 + math.floor(os.clock() * 1e6))
  ok, bad, sample = 0, 0, ""
end

function response(status, headers, body)
  if status == EXPECT then
    ok = ok + 1
  elseif status < 200 or status > 299 then
    bad = bad + 1
    if sample == "" then sample = status .. " " .. (body or ""):sub(1, 400):gsub("%s+", " ") end
  end
end

function done(summary, latency, requests)
  local ok_n, bad_n, sample_s = 0, 0, ""
  for _, t in ipairs(threads) do
    ok_n = ok_n + t:get("ok")
    bad_n = bad_n + t:get("bad")
    local s = t:get("sample")
    if sample_s == "" and s ~= "" then sample_s = s end
  end
  local e = summary.errors
  -- wrk counts a request only once its response arrived; socket errors are counted apart.
  io.write(string.format("BENCH %.1f %.3f %.3f %.3f %d %d %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    summary.requests, ok_n, bad_n, e.connect + e.read + e.write + e.timeout))
  if sample_s ~= "" then io.write("SAMPLE " .. sample_s .. "\n") end
end

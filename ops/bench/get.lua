-- One GET, again and again: BENCH_PATH with the Bearer token BENCH_TOKEN (latency of a single read).
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
EXPECT = 200

local headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") }
local path = os.getenv("BENCH_PATH")

function request()
  return wrk.format("GET", path, headers)
end

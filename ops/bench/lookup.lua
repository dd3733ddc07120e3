-- Caller lookup: GET /api/v1/petitioners?phone=P for a random P among the preloaded petitioners
-- (g in 1..BENCH_ROWS, phone = '13' || lpad(g*7919 % 1e9, 9, '0'), as in bench-intake.sh).
-- Env: BENCH_TOKEN, BENCH_ROWS.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
EXPECT = 200

local rows = tonumber(os.getenv("BENCH_ROWS") or "1000000")
local headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") }

function request()
  local g = math.random(1, rows)
  return wrk.format("GET", string.format("/api/v1/petitioners?phone=13%09d", (g * 7919) % 1000000000), headers)
end

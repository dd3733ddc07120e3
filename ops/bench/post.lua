-- POST a ~600-byte JSON body (file BENCH_BODY) to the URL's path; each request gets its own random
-- 13x mobile in place of 13800138000, so the phone index grows as in real intake.
-- Env: BENCH_BODY, BENCH_TOKEN (optional Bearer token), BENCH_EXPECT (default 201),
--      BENCH_KEYED=1 (an Idempotency-Key of its own on every request, as the console sends).
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
EXPECT = tonumber(os.getenv("BENCH_EXPECT") or "201")

local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
local body = f:read("*a")
f:close()
local at = assert(body:find("13800138000", 1, true), "body has no 13800138000 to vary")
local head, tail = body:sub(1, at - 1), body:sub(at + 11)

local headers = { ["Content-Type"] = "application/json" }
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end

local keyed = os.getenv("BENCH_KEYED") == "1"
local prefix, sent = nil, 0

function request()
  local phone = string.format("13%d%08d", math.random(0, 9), math.random(0, 99999999))
  if keyed then
    -- Unique per thread and request: a random prefix chosen once per thread, then a counter.
    prefix = prefix or string.format("%08x%08x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
    sent = sent + 1
    headers["Idempotency-Key"] = prefix .. "-" .. sent
  end
  return wrk.format("POST", nil, headers, head .. phone .. tail)
end

-- Recording a visit: POST /api/v1/households/{id}/visits, each request a household of its own (thread t of
-- n takes t, t + n, t + 2n, ...), dated BENCH_DAY, all four topics answered. Env: BENCH_TOKEN, BENCH_DAY,
-- BENCH_THREADS (wrk -t).
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
EXPECT = 201

local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") }
local body = string.format('{"visited_on":"%s","mode":"in_person","notes":"入户走访，家庭和睦，已宣传妇女儿童权益保障",'
  .. '"topics":{"womens_childrens_rights":{"asked":true,"found":false},"marriage_family_disputes":{"asked":true,"found":false},'
  .. '"domestic_violence":{"asked":true,"found":false},"minor_sexual_assault":{"asked":true,"found":false}}}', os.getenv("BENCH_DAY"))
local stride = tonumber(os.getenv("BENCH_THREADS") or "2")
local next_id = nil

function request()
  next_id = (next_id or id) + stride
  return wrk.format("POST", "/api/v1/households/" .. (next_id - stride) .. "/visits", headers, body)
end

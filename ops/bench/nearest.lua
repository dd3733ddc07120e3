-- The public nearest-body query at random points of the box BENCH_BOX = "minLat,maxLat,minLon,maxLon".
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
EXPECT = 200

local box = {}
for v in string.gmatch(os.getenv("BENCH_BOX"), "[^,]+") do table.insert(box, tonumber(v)) end

function request()
  local lat = box[1] + math.random() * (box[2] - box[1])
  local lon = box[3] + math.random() * (box[4] - box[3])
  return wrk.format("GET", string.format("/api/v1/mediation-bodies/nearest?lat=%.6f&lon=%.6f&limit=10", lat, lon))
end

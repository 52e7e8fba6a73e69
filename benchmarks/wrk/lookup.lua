-- wrk script: GET /api/v1/wards/lookup/ with a random point per request.
-- Points are uniform in lon 107.75-108.15, lat 21.40-21.62 (Móng Cái and its surroundings,
-- so some fall outside every ward: the API answers 404 for those, an expected answer).
-- Seeded per thread, so a run is repeatable: wrk ... -s lookup.lua <url> -- <seed>
-- done() prints one line for the harness:  HT_STATUS 2xx=<n> 404=<n> other=<n>

local LON_MIN, LON_MAX = 107.75, 108.15
local LAT_MIN, LAT_MAX = 21.40, 21.62

local threads = {}
local next_id = 1

function setup(thread)
   thread:set("thread_id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

function init(args)
   local seed = tonumber(args[1]) or 20250701
   math.randomseed(seed + 7919 * thread_id)
   ok_2xx, not_found, other = 0, 0, 0
end

function request()
   local lon = LON_MIN + math.random() * (LON_MAX - LON_MIN)
   local lat = LAT_MIN + math.random() * (LAT_MAX - LAT_MIN)
   return wrk.format("GET", string.format("/api/v1/wards/lookup/?lon=%.6f&lat=%.6f", lon, lat))
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      ok_2xx = ok_2xx + 1
   elseif status == 404 then
      not_found = not_found + 1
   else
      other = other + 1
   end
end

function done(summary, latency, requests)
   local a, b, c = 0, 0, 0
   for _, t in ipairs(threads) do
      a = a + t:get("ok_2xx")
      b = b + t:get("not_found")
      c = c + t:get("other")
   end
   io.write(string.format("HT_STATUS 2xx=%d 404=%d other=%d\n", a, b, c))
end

-- wrk script: POST a JSON report to /api/v1/reports/ (bare.lua reuses it for the baseline).
-- Each request: a point drawn from a file of points inside Móng Cái's wards (written by
-- bench_submit.py, one "lon lat" a line), a seeded category, a short Vietnamese description and
-- a unique idempotency key (run tag + thread id + per-thread counter + math.random).
--   wrk ... -s submit.lua <url> -- <points file> <seed> <run tag>
-- done() prints one line for the harness:  HT_STATUS 2xx=<n> 201=<n> other=<n> sent=<n>
-- (sent counts request() calls: requests still in flight when wrk stops get no response.)

path = path or "/api/v1/reports/"

local CATEGORIES = {
   "moi_truong", "an_toan_giao_thong", "trat_tu_do_thi", "ha_tang",
   "trat_tu_xay_dung", "ve_sinh_an_toan_thuc_pham", "an_ninh_trat_tu", "khac",
}
local DESCRIPTIONS = {
   "Rác thải đổ bừa bãi ven đường, bốc mùi.",
   "Đèn đường hỏng, buổi tối rất tối.",
   "Ổ gà lớn giữa đường, xe máy dễ ngã.",
   "Lấn chiếm vỉa hè để bán hàng.",
   "Cống thoát nước bị tắc, nước tràn lên mặt đường.",
   "Công trình xây dựng không che chắn, bụi nhiều.",
}

local threads = {}
local next_id = 1

function setup(thread)
   thread:set("thread_id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

function init(args)
   local file = args[1] or error("usage: -- <points file> [seed] [run tag]")
   local seed = tonumber(args[2]) or 20250701
   run_tag = args[3] or "run"
   points = {}
   for line in io.lines(file) do
      local lon, lat = line:match("^(%S+)%s+(%S+)")
      if lon then table.insert(points, { lon, lat }) end
   end
   if #points == 0 then error("no points in " .. file) end
   math.randomseed(seed + 7919 * thread_id)
   counter, ok_2xx, created, other = 0, 0, 0, 0
   headers = { ["Content-Type"] = "application/json; charset=utf-8" }
end

function request()
   counter = counter + 1
   local p = points[math.random(#points)]
   local key = string.format("wrk-%s-%d-%d-%d", run_tag, thread_id, counter, math.random(1, 1000000000))
   local body = string.format(
      '{"category":"%s","description":"%s","lon":%s,"lat":%s,"idempotency_key":"%s"}',
      CATEGORIES[math.random(#CATEGORIES)], DESCRIPTIONS[math.random(#DESCRIPTIONS)],
      p[1], p[2], key)
   return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      ok_2xx = ok_2xx + 1
      if status == 201 then created = created + 1 end
   else
      other = other + 1
      if other <= 3 then io.stderr:write("HTTP " .. status .. ": " .. body:sub(1, 300) .. "\n") end
   end
end

function done(summary, latency, requests)
   local a, c, b, s = 0, 0, 0, 0
   for _, t in ipairs(threads) do
      a = a + t:get("ok_2xx")
      c = c + t:get("created")
      b = b + t:get("other")
      s = s + t:get("counter")
   end
   io.write(string.format("HT_STATUS 2xx=%d 201=%d other=%d sent=%d\n", a, c, b, s))
end

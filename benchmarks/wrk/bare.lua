-- wrk script: the baseline for submit.lua - the same requests (same points, bodies and keys)
-- sent to the bare-insert view (benchmarks/bare_insert_app.py) instead of /api/v1/reports/.
--   wrk ... -s bare.lua <url> -- <points file> <seed> <run tag>

path = "/bench/bare-insert/"
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "submit.lua")

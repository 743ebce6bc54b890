-- Shared by the wrk scripts that count durable writes (bench/submit.lua, bench/checkin.lua). Loaded with dofile from
-- the script's own folder; it defines wrk's setup, request, response and done. The script sets `label` (the word
-- that starts the summary line), defines `next_post()` (the request to send while the time lasts), and calls
-- `start(seconds)` from its `init`.
--
-- Each connection sends `next_post()` until the seconds have passed, then only the cheap GET /healthz, so every
-- write still in flight at the deadline gets its answer before wrk stops and is counted: the 201s counted are then
-- exactly the writes the server acknowledged. /healthz answers 200, so any status but 200 and 201 is refused.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } haven_timespec;
int clock_gettime(int clock, haven_timespec *tp);
]]
function now()
    local t = ffi.new("haven_timespec")
    ffi.C.clock_gettime(1, t) -- CLOCK_MONOTONIC
    return tonumber(t.tv_sec) + tonumber(t.tv_nsec) / 1e9
end

local threads = {}
function setup(thread)
    thread:set("first", #threads) -- the thread's number, from 0, for scripts that spread threads apart
    table.insert(threads, thread)
end

function start(seconds)
    health = wrk.format("GET", "/healthz")
    deadline = now() + seconds
    posted, created, refused = 0, 0, 0
end

function request()
    if now() < deadline then
        posted = posted + 1
        return next_post()
    end
    return health
end

function response(status, headers, body)
    if status == 201 then
        created = created + 1
    elseif status ~= 200 then
        refused = refused + 1
    end
end

function done(summary, latency, requests)
    local p, c, r = 0, 0, 0
    for _, thread in ipairs(threads) do
        p = p + thread:get("posted")
        c = c + thread:get("created")
        r = r + thread:get("refused")
    end
    io.write(string.format("%s posted=%d created=%d refused=%d\n", label, p, c, r))
end

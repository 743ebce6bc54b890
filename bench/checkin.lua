-- wrk script for lone working (b): check-ins a second.
--   wrk -t2 -c64 -d<CHECKIN_SECONDS + DRAIN>s -s bench/checkin.lua URL -- CHECKIN_SECONDS WORKER_TOKEN SESSION_IDS_FILE
-- Each connection posts "still here" check-ins round-robin over the open visits listed in the file (one id a line),
-- each thread starting at a different visit, until CHECKIN_SECONDS have passed; then it sends only GET /healthz, so
-- every check-in still in flight at the deadline is answered before wrk stops and is counted. wrk is the load
-- generator here because it costs the machine little: haven-load (AsyncHTTPClient) took a quarter of the two cores.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } haven_timespec;
int clock_gettime(int clock, haven_timespec *tp);
]]
local function now()
    local t = ffi.new("haven_timespec")
    ffi.C.clock_gettime(1, t) -- CLOCK_MONOTONIC
    return tonumber(t.tv_sec) + tonumber(t.tv_nsec) / 1e9
end

local threads = {}
local counter = 0
function setup(thread)
    thread:set("first", counter)
    counter = counter + 1
    table.insert(threads, thread)
end

function init(args)
    local seconds = tonumber(args[1])
    local headers = { ["Authorization"] = "Bearer " .. args[2], ["Content-Type"] = "application/json" }
    checkins = {}
    for id in io.lines(args[3]) do
        if id ~= "" then
            table.insert(checkins, wrk.format("POST", "/api/v1/lone-working/sessions/" .. id .. "/check-ins", headers,
                '{"extendBySeconds":0}'))
        end
    end
    assert(#checkins > 0, "no session ids in " .. args[3])
    health = wrk.format("GET", "/healthz")
    deadline = now() + seconds
    next_checkin = (first * 7919) % #checkins
    posted, created, refused = 0, 0, 0
end

function request()
    if now() < deadline then
        posted = posted + 1
        next_checkin = next_checkin % #checkins + 1
        return checkins[next_checkin]
    end
    return health
end

function response(status, headers, body)
    -- /healthz answers 200 and a check-in 201, so any other status is a refused or failed check-in.
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
    io.write(string.format("CHECKINS posted=%d created=%d refused=%d\n", p, c, r))
end

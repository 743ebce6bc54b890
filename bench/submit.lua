-- wrk script for part (v)(a): durable incident submissions.
--   wrk -t2 -c64 -d<POST_SECONDS + DRAIN>s -s bench/submit.lua URL -- POST_SECONDS TOKEN BODY_FILE [PATH]
-- PATH defaults to /api/v1/incidents; bench/use-of-force passes /api/v1/use-of-force.
-- Each connection POSTs /api/v1/incidents until POST_SECONDS have passed, then sends only the cheap GET /healthz,
-- so every submission still in flight at the deadline gets its answer before wrk stops and is counted. The 201s
-- counted are then exactly the reports the server acknowledged, which bench/run compares with the rows on disk.
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
function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    local seconds = tonumber(args[1])
    local file = assert(io.open(args[3], "r"))
    local body = file:read("*a")
    file:close()
    post = wrk.format("POST", args[4] or "/api/v1/incidents",
        { ["Authorization"] = "Bearer " .. args[2], ["Content-Type"] = "application/json" }, body)
    health = wrk.format("GET", "/healthz")
    deadline = now() + seconds
    posted, created, refused = 0, 0, 0
end

function request()
    if now() < deadline then
        posted = posted + 1
        return post
    end
    return health
end

function response(status, headers, body)
    -- /healthz answers 200 and a new report 201, so any other status is a refused or failed submission.
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
    io.write(string.format("SUBMIT posted=%d created=%d refused=%d\n", p, c, r))
end

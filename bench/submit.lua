-- wrk script for part (v)(a): durable incident submissions.
--   wrk -t2 -c64 -d<POST_SECONDS + DRAIN>s -s bench/submit.lua URL -- POST_SECONDS TOKEN BODY_FILE [PATH]
-- PATH defaults to /api/v1/incidents; bench/use-of-force passes /api/v1/use-of-force.
-- Each connection POSTs /api/v1/incidents until POST_SECONDS have passed, then sends only the cheap GET /healthz,
-- so every submission still in flight at the deadline gets its answer before wrk stops and is counted. The 201s
-- counted are then exactly the reports the server acknowledged, which bench/run compares with the rows on disk.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "timed_posts.lua")
label = "SUBMIT"

function init(args)
    local file = assert(io.open(args[3], "r"))
    local body = file:read("*a")
    file:close()
    post = wrk.format("POST", args[4] or "/api/v1/incidents",
        { ["Authorization"] = "Bearer " .. args[2], ["Content-Type"] = "application/json" }, body)
    start(tonumber(args[1]))
end

function next_post()
    return post
end

-- wrk script for lone working (b): check-ins a second.
--   wrk -t2 -c64 -d<CHECKIN_SECONDS + DRAIN>s -s bench/checkin.lua URL -- CHECKIN_SECONDS WORKER_TOKEN SESSION_IDS_FILE
-- Each connection posts "still here" check-ins round-robin over the open visits listed in the file (one id a line),
-- each thread starting at a different visit, until CHECKIN_SECONDS have passed; then it sends only GET /healthz, so
-- every check-in still in flight at the deadline is answered before wrk stops and is counted. wrk is the load
-- generator here because it costs the machine little: haven-load (AsyncHTTPClient) took a quarter of the two cores.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "timed_posts.lua")
label = "CHECKINS"

function init(args)
    local headers = { ["Authorization"] = "Bearer " .. args[2], ["Content-Type"] = "application/json" }
    checkins = {}
    for id in io.lines(args[3]) do
        if id ~= "" then
            table.insert(checkins, wrk.format("POST", "/api/v1/lone-working/sessions/" .. id .. "/check-ins", headers,
                '{"extendBySeconds":0}'))
        end
    end
    assert(#checkins > 0, "no session ids in " .. args[3])
    next_checkin = (first * 7919) % #checkins
    start(tonumber(args[1]))
end

function next_post()
    next_checkin = next_checkin % #checkins + 1
    return checkins[next_checkin]
end

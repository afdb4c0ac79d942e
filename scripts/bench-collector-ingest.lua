-- wrk script for the collector's ingest benchmark (run by scripts/bench-collector-ingest.sh).
--
-- wrk -t T -c C -d SECONDS -s scripts/bench-collector-ingest.lua http://127.0.0.1:PORT -- DIR
--
-- Thread K reads DIR/bodies-K.tsv ("agent<TAB>summary JSON" per line, written by
-- scripts/bench-collector-gen.py) and DIR/tokens.tsv ("agent<TAB>token"), builds every request
-- up front (so the load generator spends its time on the wire, not in Lua), and sends each
-- summary once: every request is a distinct (agent, date). The run is time-bounded (-d), so
-- there must be more summaries than the server can take in that time; should a thread run out
-- it repeats its last summary (answered 200 "unchanged", counted apart) and the rate of 201s
-- is then an underestimate. Status codes are counted per thread and printed by done().

local threads = {}
-- BENCH_THREAD_OFFSET (scripts/bench-collector-two.sh): several wrk processes, one per collector,
-- each reading its own bodies files (thread K of the second of two 2-thread wrks reads bodies-(2+K)).
local next_id = 1 + (tonumber(os.getenv("BENCH_THREAD_OFFSET") or "0") or 0)

function setup(thread)
    thread:set("id", next_id)
    next_id = next_id + 1
    table.insert(threads, thread)
end

function init(args)
    local dir = args[1]
    local tokens = {}
    for line in io.lines(dir .. "/tokens.tsv") do
        local tab = line:find("\t", 1, true)
        tokens[line:sub(1, tab - 1)] = line:sub(tab + 1)
    end
    reqs = {}
    for line in io.lines(dir .. "/bodies-" .. id .. ".tsv") do
        local tab = line:find("\t", 1, true)
        local agent = line:sub(1, tab - 1)
        reqs[#reqs + 1] = wrk.format("POST", "/api/v1/summaries", {
            ["Authorization"] = "Bearer " .. tokens[agent],
            ["Content-Type"] = "application/json",
        }, line:sub(tab + 1))
    end
    sent = 0
    total = #reqs
    answered = 0
    created = 0
    unchanged = 0
    other = 0
    first_other = ""
end

function request()
    sent = sent + 1
    -- Past the end (only the last in-flight connections): repeat the last summary, which the
    -- collector answers 200 "unchanged"; counted apart from the 201s.
    return reqs[math.min(sent, #reqs)]
end

function response(status, headers, body)
    answered = answered + 1
    if status == 201 then
        created = created + 1
    elseif status == 200 then
        unchanged = unchanged + 1
    else
        other = other + 1
        if first_other == "" then first_other = status .. " " .. body:sub(1, 300) end
    end
end

function done(summary, latency, requests)
    local c, u, o, n = 0, 0, 0, 0
    for _, t in ipairs(threads) do
        c = c + t:get("created")
        u = u + t:get("unchanged")
        if t:get("sent") >= t:get("total") then n = n + 1 end
        o = o + t:get("other")
        local f = t:get("first_other")
        if f ~= "" then io.write("first non-2xx: " .. f .. "\n") end
    end
    if n > 0 then io.write("WARNING: " .. n .. " thread(s) ran out of summaries; generate more (BENCH_DATES)\n") end
    local secs = summary.duration / 1e6
    io.write(string.format("RESULT created=%d unchanged=%d other=%d seconds=%.3f created_per_s=%.1f " ..
        "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d\n",
        c, u, o, secs, c / secs,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, summary.errors.connect, summary.errors.read, summary.errors.write,
        summary.errors.timeout))
end

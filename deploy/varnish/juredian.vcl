vcl 4.1;
# 聚热点 juredian — the edge cache in front of the app servers (Varnish 7, Debian's `varnish`
# and `varnish-modules` for xkey).
#
# What is kept and for how long is the site's to say (articles/edge.py): every anonymous page
# carries Cache-Control (s-maxage, stale-while-revalidate, stale-if-error) and an `xkey`
# header naming what it shows (article-12, channel-3, tag-7, entry-7, home, search, trending…).
# After each change commits, the site sends `PURGE /` with `xkey: <keys>` to every node of
# EDGE_PURGE_URLS (articles/purging.py), and exactly those pages go.
#
# The backends (one app server, or a director over several) are in backends.vcl, found on
# vcl_path next to this file: `make edge` writes one for the `make run` server
# (juredian/varnish.py); in production, write yours (see deploy/varnish/README.md).

import std;
import xkey;

include "backends.vcl";

# Who may purge: the app servers (loopback here; their addresses in a real deployment).
acl purgers {
    "127.0.0.1";
    "::1";
}

# Proxies in front of this one whose X-Real-IP is believed (a CDN, a load balancer; loopback
# for the tests' readers). From anyone else the header is replaced by the client's address,
# so a reader cannot pose as many readers (the 热传 counting keys on the address).
acl trusted_proxies {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    call choose_backend;  # from backends.vcl

    # Purges by surrogate key: `PURGE /` with `xkey: article-12 home` (space-separated).
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "purging is not allowed from this address"));
        }
        if (!req.http.xkey) {
            return (synth(400, "xkey header missing"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey);
        return (synth(200, "purged " + req.http.n-gone));
    }

    if (!req.http.X-Real-IP || client.ip !~ trusted_proxies) {
        set req.http.X-Real-IP = client.ip;
    }

    # Only reading is cached; posts, the admin and anything else go to the site.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Forms with CSRF tokens and the takedown status pages; the read beacon, which must
    # reach the site on every view; the health check, which is this node's own.
    if (req.url ~ "^/(admin|takedown)/" || req.url ~ "^/trending/read/" || req.url ~ "^/healthz") {
        return (pass);
    }
    # Editors (a session) see fresh pages, and so does whoever posted a form a moment ago
    # (`wrote`, juredian/replica.py: read from the primary); no other cookie matters here.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|wrote)=") {
        return (pass);
    }
    unset req.http.Cookie;
    # The site speaks one language: one copy of each page, whatever the browser prefers.
    unset req.http.Accept-Language;

    # Links shared on social media carry tracking parameters the pages never read: one copy.
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid)=") {
        set req.url = regsuball(req.url, "(utm_[a-z]+|fbclid|gclid)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]$", "");
    }

    # Pages may carry edge-side includes (the 热传 sidebar): say we process them.
    set req.http.Surrogate-Capability = "varnish=ESI/1.0";

    # A page past its time is served while it is fetched again for 30 s; while the site is
    # down, for as long as its stale-if-error allows (beresp.grace, below).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }
    return (hash);
}

sub vcl_backend_response {
    # Kept only what the site marked as shared (articles/edge.py): anything else — a 404, a
    # redirect, a page that set a cookie — goes to the site every time.
    if (beresp.http.Cache-Control !~ "(^|,\s*)public" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;  # hit-for-miss: remembered as not kept, fetched directly
        return (deliver);
    }
    # The site's stale-if-error: how long a page may stand in for a failing backend.
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-if-error=([0-9]+).*", "\1s"), 30s);
    }
    if (beresp.http.Surrogate-Control ~ "ESI/1.0") {
        unset beresp.http.Surrogate-Control;
        set beresp.do_esi = true;
    }
    return (deliver);
}

sub vcl_backend_error {
    # An app server that died since its last health probe: ask the next one (the director
    # moves on), so a node lost between two probes costs readers nothing.
    if (bereq.retries < 4) {  # the director alternates: two tries at each other node
        return (retry);
    }
    # The site is unreachable and nothing is in grace: a short Chinese page, not Varnish's.
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Retry-After = "30";
    set beresp.body = {"<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>暂时无法访问 · 聚热点</title><h1>暂时无法访问</h1><p>网站正在恢复，请稍后再试。</p></html>"};
    return (deliver);
}

sub vcl_deliver {
    # Surrogate keys and ESI are for caches, not readers.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}

sub vcl_synth {
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.body = resp.reason + {"
"};
    return (deliver);
}

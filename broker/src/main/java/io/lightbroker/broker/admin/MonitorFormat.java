package io.lightbroker.broker.admin;

import java.time.Instant;

/** nats-server's monitoring formats for times and durations, so existing dashboards parse ours. */
final class MonitorFormat {
    private MonitorFormat() {}

    /** RFC 3339 in UTC, as Go marshals a {@code time.Time} that went through {@code .UTC()}. */
    static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    /** nats-server's {@code myUptime}: {@code 1y2d3h4m5s}, leading zero units left out, seconds always shown. */
    static String uptime(long millis) {
        long secs = Math.max(0, millis) / 1000;
        long mins = secs / 60;
        long hrs = mins / 60;
        long days = hrs / 24;
        long yrs = days / 365;
        if (yrs > 0) {
            return yrs + "y" + days % 365 + "d" + hrs % 24 + "h" + mins % 60 + "m" + secs % 60 + "s";
        }
        if (days > 0) {
            return days + "d" + hrs % 24 + "h" + mins % 60 + "m" + secs % 60 + "s";
        }
        if (hrs > 0) {
            return hrs + "h" + mins % 60 + "m" + secs % 60 + "s";
        }
        if (mins > 0) {
            return mins + "m" + secs % 60 + "s";
        }
        return secs + "s";
    }
}

package io.lightbroker.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.lightbroker.broker.server.LightBroker;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Chromium: the page runs its script against the admin API
 * and the DOM shows the broker's numbers. Debian package {@code chromium}; a missing browser
 * fails the test, as a missing real server fails the differential tests.
 */
class DashboardBrowserTest {
    private static final List<String> CANDIDATES = List.of("chromium", "chromium-browser", "google-chrome");

    @TempDir
    Path profile;

    @Test
    void dashboardShowsConnectionsSubscriptionsAndTheConnectionTable() throws Exception {
        String chromium = chromium();
        try (LightBroker broker = LightBroker.builder().respPort(0).adminPort(0).start();
             AdminClient.Resp sub = new AdminClient.Resp(broker.respPort())) {
            AdminEndpointsTest.subscribe(sub, "news");
            String dom = render(chromium, broker.adminPort());
            assertThat(dom).contains("<b id=\"conn-resp\">1</b>", "<b id=\"subs-resp\">1</b>", "<b id=\"conn-nats\">0</b>",
                    "<b id=\"slow\">0</b>", "<td>resp</td>", broker.serverId());
            assertThat(dom).doesNotContain("class=\"error\"").doesNotContain("data-errors");
            assertThat(dom).as("no leaf links, no leaf table").contains("<table id=\"leafs\" style=\"display: none");
        }
    }

    /** A node attached to a real nats-server hub as a leaf shows its link, connected, in a table of its own. */
    @Test
    void dashboardShowsTheLeafLink() throws Exception {
        String chromium = chromium();
        try (io.lightbroker.broker.testsupport.NatsHub hub = io.lightbroker.broker.testsupport.NatsHub.start();
             LightBroker broker = LightBroker.builder().respPort(0).natsPort(0).adminPort(0)
                     .setting("leaf-remotes", hub.leafUrl()).setting("leaf-reconnect-delay", "100ms").start()) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                    .until(() -> broker.leafNodes().links().get(0).state() == io.lightbroker.broker.leaf.LeafLink.State.CONNECTED);
            String dom = render(chromium, broker.adminPort());
            assertThat(dom).contains("<table id=\"leafs\" style=\"\">", "<tr data-state=\"connected\">", hub.leafUrl());
            assertThat(dom).doesNotContain("class=\"error\"").doesNotContain("data-errors");
        }
    }

    /** While messages flow, the chart gains points and shows a non-zero rate; the page records no script error. */
    @Test
    void chartMovesWhileMessagesFlow() throws Exception {
        String chromium = chromium();
        try (LightBroker broker = LightBroker.builder().respPort(0).adminPort(0).start()) {
            AtomicBoolean flowing = new AtomicBoolean(true);
            Thread publisher = new Thread(() -> {
                try (AdminClient.Resp pub = new AdminClient.Resp(broker.respPort())) {
                    String cmd = AdminEndpointsTest.command("PUBLISH", "ticks", "x");
                    while (flowing.get()) {
                        pub.call(cmd, 4);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "dashboard-test-publisher");
            publisher.start();
            String dom;
            try {
                dom = render(chromium, broker.adminPort());
            } finally {
                flowing.set(false);
                publisher.join(10_000);
            }
            Matcher samples = Pattern.compile("data-samples=\"(\\d+)\"").matcher(dom);
            assertThat(samples.find()).as("chart drawn with data points: %s", dom).isTrue();
            assertThat(Integer.parseInt(samples.group(1))).isGreaterThanOrEqualTo(2);
            Matcher rateIn = Pattern.compile("<b id=\"rate-in\">(\\d+)</b>").matcher(dom);
            assertThat(rateIn.find()).isTrue();
            assertThat(Long.parseLong(rateIn.group(1))).as("messages in per second shown").isPositive();
            assertThat(dom).doesNotContain("data-errors").doesNotContain("class=\"error\"");
        }
    }

    @Test
    void dashboardAsksForTheTokenWhenTheApiNeedsOne() throws Exception {
        String chromium = chromium();
        try (LightBroker broker = LightBroker.builder().respPort(0).adminPort(0).setting("admin-token", "secret").start()) {
            String dom = render(chromium, broker.adminPort());
            assertThat(dom).contains("admin token required").contains("<form id=\"auth\" style=\"display: block;\">");
        }
    }

    private String render(String chromium, int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", "http://127.0.0.1:" + port + "/")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("chromium exit status").isZero();
        return dom;
    }

    /** The browser on PATH; its absence is a failure. */
    private static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : CANDIDATES) {
                File f = new File(dir, name);
                if (f.canExecute()) {
                    return f.getPath();
                }
            }
        }
        return fail("chromium is not installed (Debian package: chromium; .ci/run installs it)");
    }
}

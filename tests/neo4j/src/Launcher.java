import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;

/**
 * An in-process Neo4j 5 Community server for development and graphsvc's tests.
 *
 * <p>Bolt on 127.0.0.1:$NEO4J_PORT (7687), authentication on (user neo4j, password
 * $NEO4J_PASSWORD, "graphsvc-test"), HTTP and usage reporting off, a small page cache. Data
 * lives in $NEO4J_DATA when set (kept, so a restart finds it) or else in a temporary folder
 * removed at exit. Prints exactly one line on stdout, "neo4j ready at bolt://127.0.0.1:PORT",
 * once Bolt accepts connections; everything else (Neo4j's own log) goes to stderr or to the
 * data folder's logs. SIGINT/SIGTERM shut the database down cleanly through the hook below.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        try {
            run();
        } catch (Throwable failure) {
            // The DBMS's own threads would keep the JVM alive after main fails: exit, which
            // runs the shutdown hook (stop the DBMS, remove a temporary folder).
            System.err.println("neo4j launcher: " + failure);
            failure.printStackTrace();
            System.exit(1);
        }
    }

    private static void run() throws Exception {
        int port = Integer.parseInt(env("NEO4J_PORT", "7687"));
        String password = env("NEO4J_PASSWORD", "graphsvc-test");
        if (password.length() < 8) {
            fail("NEO4J_PASSWORD must have at least 8 characters (Neo4j's minimum)");
        }
        String kept = System.getenv("NEO4J_DATA");
        boolean temporary = kept == null || kept.isBlank();
        Path home = temporary
                ? Files.createTempDirectory("graphsvc-neo4j-")
                : Files.createDirectories(Path.of(kept).toAbsolutePath());

        Path conf = home.resolve("neo4j.conf");
        Files.writeString(conf, String.join("\n",
                "server.bolt.enabled=true",
                "server.bolt.listen_address=127.0.0.1:" + port,
                "server.bolt.advertised_address=127.0.0.1:" + port,
                "server.http.enabled=false",
                "server.https.enabled=false",
                "dbms.security.auth_enabled=true",
                "dbms.usage_report.enabled=false",
                "server.memory.pagecache.size=" + env("NEO4J_PAGECACHE", "128m"),
                "db.tx_log.rotation.retention_policy=2 files",
                ""), StandardCharsets.UTF_8);

        // One hook (hooks run concurrently, so not two): stop the DBMS if it started, then
        // remove a temporary folder, also when start-up itself failed.
        AtomicReference<DatabaseManagementService> started = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DatabaseManagementService running = started.get();
            if (running != null) {
                running.shutdown();
            }
            if (temporary) {
                delete(home);
            }
            stopped.countDown();
        }, "graphsvc-neo4j-shutdown"));
        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(conf)
                .build();
        started.set(service);

        setPassword(service.database("system"), password);
        service.database("neo4j").executeTransactionally("RETURN 1");

        awaitBolt(port);
        System.out.println("neo4j ready at bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    /**
     * Give user neo4j the password, with no change required at first login. On a kept data
     * folder the password may already be this one, which Neo4j refuses to "change" to itself.
     */
    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (QueryExecutionException refused) {
            if (!refused.getMessage().contains("Old password and new password cannot be the same")) {
                throw refused;
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void awaitBolt(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    fail("Bolt did not accept connections on 127.0.0.1:" + port + " within 60 s");
                }
                Thread.sleep(50);
            }
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not remove " + root + ": " + e.getMessage());
        }
    }

    private static void fail(String message) {
        System.err.println("neo4j launcher: " + message);
        System.exit(2);
    }
}

package dev.vendorgate.gateway.cli;

import dev.vendorgate.gateway.http.Json;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes the JDK's logging (which Netty uses when no other logging library is present) to
 * standard error, one line per event, as readable text or as JSON for log shippers.
 */
public final class LogSetup {

    /** Log line format. */
    public enum Format {
        TEXT,
        JSON
    }

    /** How much to log. */
    public enum Verbosity {
        ERROR(Level.SEVERE),
        WARN(Level.WARNING),
        INFO(Level.INFO),
        DEBUG(Level.FINE);

        final Level level;

        Verbosity(Level level) {
            this.level = level;
        }
    }

    public static void configure(Format format, Verbosity verbosity) {
        configure(format, verbosity.level);
    }

    private LogSetup() {}

    public static void configure(Format format, Level level) {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        Handler handler = new ConsoleHandler(); // standard error
        handler.setLevel(level);
        handler.setFormatter(format == Format.JSON ? new JsonFormatter() : new TextFormatter());
        root.addHandler(handler);
        root.setLevel(level);
        // Netty is chatty at FINE; keep it at INFO unless asked otherwise
        Logger.getLogger("io.netty").setLevel(level.intValue() < Level.INFO.intValue() ? Level.INFO : level);
    }

    /** The level as the {@code --log-level} names it: ERROR, WARN, INFO, DEBUG (not JUL's SEVERE, WARNING, FINE). */
    public static String levelName(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (value >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (value >= Level.INFO.intValue()) {
            return "INFO";
        }
        return value >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }

    private static String shortName(String logger) {
        if (logger == null) {
            return "";
        }
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }

    private static String message(Formatter formatter, LogRecord record) {
        String message = formatter.formatMessage(record);
        if (record.getThrown() != null) {
            Throwable t = record.getThrown();
            message = message + ": " + t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        return message.replace('\n', ' ').replace('\r', ' ');
    }

    /** {@code 2026-11-28T10:00:00.123Z INFO  Gateway: message} */
    static final class TextFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            return Instant.ofEpochMilli(record.getMillis()) + " " + String.format("%-5s", levelName(record.getLevel()))
                    + " " + shortName(record.getLoggerName()) + ": " + message(this, record) + System.lineSeparator();
        }
    }

    /** {@code {"time":"...","level":"INFO","logger":"...","message":"..."}} */
    static final class JsonFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder out = new StringBuilder(160).append("{\"time\":");
            Json.quote(out, Instant.ofEpochMilli(record.getMillis()).toString());
            out.append(",\"level\":");
            Json.quote(out, levelName(record.getLevel()));
            out.append(",\"logger\":");
            Json.quote(out, record.getLoggerName());
            out.append(",\"thread\":");
            Json.quote(out, Thread.currentThread().getName());
            out.append(",\"message\":");
            Json.quote(out, message(this, record));
            return out.append('}').append(System.lineSeparator()).toString();
        }
    }
}

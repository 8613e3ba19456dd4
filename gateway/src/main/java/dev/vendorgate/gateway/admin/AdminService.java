package dev.vendorgate.gateway.admin;

import dev.vendorgate.gateway.control.ControlStore;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.runtime.KillSwitch;
import dev.vendorgate.gateway.runtime.PolicyReloader;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executor;

/** The parts the admin API works with, put together once by the gateway. */
public final class AdminService {

    private final AdminApi api;
    private final ConsoleFiles console;

    /**
     * @param blocking where blocking work (policy reload) runs, never an event loop
     */
    public AdminService(
            GatewayState state,
            KillSwitch killSwitch,
            PolicyReloader reloader,
            ControlStore store,
            Executor blocking,
            String version,
            Instant startedAt,
            String transport,
            String tls,
            Clock clock,
            dev.vendorgate.gateway.tripwire.TripwireWatch tripwires) {
        this.api = new AdminApi(
                state,
                killSwitch,
                reloader,
                store,
                blocking,
                new AdminApi.GatewayInfo(version, startedAt, transport, tls),
                clock,
                tripwires);
        this.console = ConsoleFiles.load();
    }

    AdminApi api() {
        return api;
    }

    ConsoleFiles console() {
        return console;
    }
}

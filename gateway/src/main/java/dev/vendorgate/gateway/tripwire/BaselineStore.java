package dev.vendorgate.gateway.tripwire;

import java.io.IOException;
import java.util.Map;

/**
 * Where baselines outlive a restart: a file in the state folder, or Redis for a fleet (where
 * every node's counts add up). Called on the tripwire thread only, never an event loop.
 */
interface BaselineStore extends AutoCloseable {

    /** What was saved, by vendor. */
    Map<String, VendorBaseline.Saved> load() throws IOException;

    /** Saves the vendors' figures (the store decides how: a whole file, or increments). */
    void save(Map<String, VendorBaseline.Saved> vendors) throws IOException;

    @Override
    default void close() {}
}

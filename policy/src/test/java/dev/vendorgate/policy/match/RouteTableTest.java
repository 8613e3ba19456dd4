package dev.vendorgate.policy.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.policy.Route;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static Route route(String id, String prefix, String... methods) {
        return new Route(id, prefix, Set.of(methods), "data", List.of(), 0);
    }

    private final RouteTable table = new RouteTable(List.of(
            route("root", "/", "GET"),
            route("datasets", "/datasets", "GET", "HEAD"),
            route("images", "/datasets/images", "GET"),
            route("images-write", "/datasets/images", "PUT"),
            route("annotations", "/annotations", "POST")));

    private String matched(String method, String path) {
        RouteTable.RouteMatch match = table.match(method, path);
        return match instanceof RouteTable.RouteMatch.Matched m ? m.route().id() : match.toString();
    }

    @Test
    void longestPrefixWins() {
        assertThat(matched("GET", "/datasets/images/cat.png")).isEqualTo("images");
        assertThat(matched("GET", "/datasets/text/a.txt")).isEqualTo("datasets");
        assertThat(matched("GET", "/datasets")).isEqualTo("datasets");
        assertThat(matched("GET", "/datasets/")).isEqualTo("datasets");
    }

    @Test
    void prefixesMatchWholeSegmentsOnly() {
        assertThat(matched("GET", "/datasets-private/x")).isEqualTo("root");
        assertThat(matched("GET", "/datasets/imagesX")).isEqualTo("datasets");
    }

    @Test
    void routesAtOnePrefixAreChosenByMethod() {
        assertThat(matched("PUT", "/datasets/images/cat.png")).isEqualTo("images-write");
    }

    @Test
    void aLongerPrefixWithoutTheMethodDoesNotFallBackToAShorterOne() {
        RouteTable.RouteMatch match = table.match("HEAD", "/datasets/images/cat.png");

        assertThat(match).isEqualTo(new RouteTable.RouteMatch.MethodNotAllowed(Set.of("GET", "PUT")));
    }

    @Test
    void withoutARootRouteUnknownPathsMatchNothing() {
        RouteTable narrow = new RouteTable(List.of(route("datasets", "/datasets", "GET")));

        assertThat(narrow.match("GET", "/models/x")).isEqualTo(RouteTable.RouteMatch.NoRoute.INSTANCE);
        assertThat(narrow.match("GET", "/")).isEqualTo(RouteTable.RouteMatch.NoRoute.INSTANCE);
    }

    @Test
    void rootRouteCoversEverythingElse() {
        assertThat(matched("GET", "/")).isEqualTo("root");
        assertThat(matched("GET", "/models/x")).isEqualTo("root");
        assertThat(table.match("DELETE", "/models/x")).isInstanceOf(RouteTable.RouteMatch.MethodNotAllowed.class);
    }
}

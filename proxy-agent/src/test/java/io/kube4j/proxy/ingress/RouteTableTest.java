package io.kube4j.proxy.ingress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTableTest {

    static IngressRoute r(String host, String path, String type, String name) {
        return new IngressRoute(host, path, type, "ns/ing", name, List.of());
    }

    static final RouteTable TABLE = new RouteTable(List.of(
            r("foo.example.com", "/", "Prefix", "foo-root"),
            r("foo.example.com", "/api", "Prefix", "foo-api"),
            r("foo.example.com", "/api/v2/", "Prefix", "foo-api-v2"),
            r("foo.example.com", "/login", "Exact", "foo-login-exact"),
            r("foo.example.com", "/login", "Prefix", "foo-login-prefix"),
            r("foo.example.com", "/static", "ImplementationSpecific", "foo-static"),
            r("*.example.com", "/", "Prefix", "wildcard"),
            r("bar.example.com", "/exact", "Exact", "bar-exact"),
            r("", "/any", "Prefix", "hostless")),
            r("", "/", "Prefix", "default"));

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource({
            "foo.example.com,        /,                foo-root",
            "foo.example.com:8080,   /api,             foo-api",
            "FOO.example.com,        /api/,            foo-api",
            "foo.example.com,        /api/users?x=1,   foo-api",
            "foo.example.com,        /apis,            foo-root",
            "foo.example.com,        /api/v2,          foo-api-v2",
            "foo.example.com,        /api/v2/x,        foo-api-v2",
            "foo.example.com,        /login,           foo-login-exact",
            "foo.example.com,        /login/again,     foo-login-prefix",
            "foo.example.com,        /static/a.css,    foo-static",
            "a.example.com,          /anything,        wildcard",
            "a.b.example.com,        /any,             hostless",
            "example.com,            /any/thing,       hostless",
            "bar.example.com,        /exact,           bar-exact",
            "bar.example.com,        /exact/more,      default",
            "other.org,              /elsewhere,       default",
    })
    void routes(String host, String path, String expected) {
        assertThat(TABLE.route(host, path)).map(IngressRoute::service).contains(expected);
    }

    @ParameterizedTest(name = "{0} {1} → 404")
    @CsvSource({"unknown.org, /", "foo.example.org, /api", "bar.example.com, /exact/"})
    void noRouteWithoutADefaultBackend(String host, String path) {
        RouteTable table = new RouteTable(List.of(r("foo.example.com", "/", "Prefix", "foo"), r("bar.example.com", "/exact", "Exact", "bar")), null);
        assertThat(table.route(host, path)).isEmpty();
    }
}

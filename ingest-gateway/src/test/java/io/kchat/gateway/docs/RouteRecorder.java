package io.kchat.gateway.docs;

import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Records the (method, path) of every route set up through it: a stand-in for Helidon's routing builder that runs
 * each registered service's {@code routing} on itself, under the service's path prefix. Helidon's built routing
 * cannot be listed, so this is how a test learns what the gateway serves without starting it. A way of adding
 * routes it does not know fails loudly rather than going unrecorded.
 */
final class RouteRecorder implements InvocationHandler {

    /** A route whose path Helidon matches with a {@link PathMatcher} (static files): anything under the prefix. */
    static final String ANY_PATH = "/*";
    private static final List<Method> METHODS = List.of(Method.GET, Method.POST, Method.PUT, Method.DELETE,
            Method.PATCH, Method.HEAD, Method.OPTIONS, Method.TRACE, Method.CONNECT);

    private final String prefix;
    private final Set<String> routes;

    private RouteRecorder(String prefix, Set<String> routes) {
        this.prefix = prefix;
        this.routes = routes;
    }

    /** The routes {@code setup} registers, each as {@code "METHOD /path"}. */
    static Set<String> routesOf(Consumer<HttpRouting.Builder> setup) {
        Set<String> routes = new TreeSet<>();
        setup.accept(recorder("", routes));
        return routes;
    }

    private static HttpRouting.Builder recorder(String prefix, Set<String> routes) {
        return (HttpRouting.Builder) Proxy.newProxyInstance(RouteRecorder.class.getClassLoader(),
                new Class<?>[] {HttpRouting.Builder.class}, new RouteRecorder(prefix, routes));
    }

    @Override
    public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] arguments) {
        Object[] args = arguments == null ? new Object[0] : arguments;
        String name = method.getName();
        switch (name) {
            case "get", "post", "put", "delete", "patch", "head", "options", "trace", "any" ->
                    add(name.toUpperCase(Locale.ROOT), args.length > 0 && args[0] instanceof String path ? path : "");
            case "route" -> route(args);
            case "register" -> register(args);
            case "error", "addFilter", "addFeature", "maxReRouteCount", "security" -> {
                // not routes
            }
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "equals" -> {
                return proxy == args[0];
            }
            case "toString" -> {
                return "RouteRecorder" + prefix;
            }
            default -> throw new UnsupportedOperationException("RouteRecorder does not know " + method);
        }
        return proxy;
    }

    private void add(String method, String path) {
        String full = path.isEmpty() || path.equals("/") ? (prefix.isEmpty() ? "/" : prefix) : prefix + path;
        routes.add(method + " " + full);
    }

    @SuppressWarnings("unchecked")
    private void route(Object[] args) {
        if (args.length == 3 && args[0] instanceof Method method && args[1] instanceof String path) {
            add(method.text(), path);
        } else if (args.length == 2 && args[0] instanceof Method method) {
            add(method.text(), "");
        } else if (args.length == 3 && args[0] instanceof Method method && args[1] instanceof PathMatcher) {
            add(method.text(), ANY_PATH);
        } else if (args.length == 3 && args[0] instanceof Predicate<?> accepts && args[1] instanceof PathMatcher) {
            METHODS.stream().filter(m -> ((Predicate<Method>) accepts).test(m)).forEach(m -> add(m.text(), ANY_PATH));
        } else {
            throw new UnsupportedOperationException("RouteRecorder cannot read a route given as " + List.of(args));
        }
    }

    private void register(Object[] args) {
        String path = args.length > 0 && args[0] instanceof String p ? p : "";
        List<HttpService> services = new ArrayList<>();
        for (Object arg : args) {
            collect(arg, services);
        }
        HttpRouting.Builder nested = recorder(prefix + (path.equals("/") ? "" : path), routes);
        services.forEach(service -> service.routing(nested));
    }

    private static void collect(Object arg, List<HttpService> services) {
        switch (arg) {
            case String ignored -> {
                // the path, read above
            }
            case HttpService service -> services.add(service);
            case HttpService[] array -> services.addAll(List.of(array));
            case Supplier<?> supplier -> collect(supplier.get(), services);
            case Collection<?> items -> items.forEach(item -> collect(item, services));
            default -> throw new UnsupportedOperationException("RouteRecorder cannot register " + arg);
        }
    }
}

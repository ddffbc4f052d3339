package io.kchat.gateway.otp;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.auth.sessions.AuthRoutes.LoginResponse;
import io.kchat.gateway.auth.sessions.SessionTokens;
import io.kchat.gateway.http.JsonBodies;
import io.kchat.gateway.http.JsonResponses;

import static io.kchat.gateway.http.Requests.required;

/** /v1/auth/otp/*: a code by text message, then tokens for it exactly as a password login answers. */
public final class OtpRoutes implements HttpService {

    record CodeRequest(String phone) {
    }

    record VerifyRequest(String phone, String code, String requestId, String deviceId) {
    }

    private final OtpService otp;
    private final ClientAddress clientAddress;

    public OtpRoutes(OtpService otp, ClientAddress clientAddress) {
        this.otp = otp;
        this.clientAddress = clientAddress;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/auth/otp/request", this::request)
                .post("/v1/auth/otp/verify", this::verify);
    }

    private void request(ServerRequest request, ServerResponse response) {
        CodeRequest body = JsonBodies.read(request, CodeRequest.class);
        JsonResponses.send(response, 202, otp.request(required(body.phone(), "phone"), clientAddress.of(request)));
    }

    private void verify(ServerRequest request, ServerResponse response) {
        VerifyRequest body = JsonBodies.read(request, VerifyRequest.class);
        SessionTokens tokens = otp.verify(required(body.phone(), "phone"), required(body.code(), "code"), body.requestId(),
                body.deviceId());
        JsonResponses.ok(response, LoginResponse.of(tokens));
    }
}

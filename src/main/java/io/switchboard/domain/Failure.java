package io.switchboard.domain;

/**
 * The one error type: an expected failure with a code from {@link ErrorCode} and a message
 * that is safe to show to the client. It carries no stack trace; anything else that escapes
 * to an edge is unexpected and becomes {@code internal}.
 */
public final class Failure extends RuntimeException {
    private final ErrorCode code;

    public Failure(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static Failure badRequest(String message) {
        return new Failure(ErrorCode.BAD_REQUEST, message);
    }

    public static Failure unauthorized(String message) {
        return new Failure(ErrorCode.UNAUTHORIZED, message);
    }

    public static Failure forbidden(String message) {
        return new Failure(ErrorCode.FORBIDDEN, message);
    }

    public static Failure notFound(String message) {
        return new Failure(ErrorCode.NOT_FOUND, message);
    }

    public static Failure conflict(String message) {
        return new Failure(ErrorCode.CONFLICT, message);
    }
}

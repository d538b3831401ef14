package dev.glint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import dev.glint.error.ApiException;
import dev.glint.error.CatalogException;
import dev.glint.error.ErrorCode;
import dev.glint.error.StoreUnavailableException;
import dev.glint.error.UnknownMarkerException;
import dev.glint.error.WebobException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one table from exception to error code (Server.codeFor) and from error code to Nova's fault
 * name and status, as in Polaris' IcebergExceptionMapperTest.
 */
class ServerFaultTableTest {

  static Stream<Arguments> exceptions() {
    return Stream.of(
        Arguments.of(ApiException.badRequest("x"), ErrorCode.BAD_REQUEST, "x"),
        Arguments.of(ApiException.notFound("Image not found."), ErrorCode.NOT_FOUND, "Image not found."),
        Arguments.of(ApiException.forbidden("no"), ErrorCode.FORBIDDEN, "no"),
        Arguments.of(ApiException.conflict("dup"), ErrorCode.CONFLICT, "dup"),
        Arguments.of(new UnknownMarkerException("m"), ErrorCode.BAD_REQUEST, "No image found with ID m"),
        Arguments.of(CatalogException.notFound("i"), ErrorCode.NOT_FOUND, "No image found with ID i"),
        Arguments.of(
            new CatalogException(CatalogException.Reason.OVER_QUOTA, "i", "too many"),
            ErrorCode.OVER_LIMIT,
            "too many"),
        Arguments.of(new WebobException(ErrorCode.OVER_LIMIT, "big"), ErrorCode.OVER_LIMIT, "big"),
        Arguments.of(new JsonParseException(null, "bad"), ErrorCode.BAD_REQUEST, "Malformed request body"),
        Arguments.of(
            new StoreUnavailableException("down", null),
            ErrorCode.UNAVAILABLE,
            "The image catalog is temporarily unavailable. Please retry shortly."),
        Arguments.of(new IllegalStateException("secret detail"), ErrorCode.INTERNAL, ""));
  }

  @ParameterizedTest
  @MethodSource("exceptions")
  void everyExceptionHasOneCodeAndASafeMessage(Exception e, ErrorCode code, String message) {
    assertThat(Server.codeFor(e)).isEqualTo(code);
    assertThat(Server.messageFor(e)).isEqualTo(message);
  }

  /** Nova's Fault._fault_names; 406 and other unnamed codes are computeFault. */
  @ParameterizedTest
  @CsvSource({
    "BAD_REQUEST, 400, badRequest",
    "UNAUTHORIZED, 401, unauthorized",
    "FORBIDDEN, 403, forbidden",
    "NOT_FOUND, 404, itemNotFound",
    "BAD_METHOD, 405, badMethod",
    "NOT_ACCEPTABLE, 406, computeFault",
    "CONFLICT, 409, conflictingRequest",
    "GONE, 410, computeFault",
    "OVER_LIMIT, 413, overLimit",
    "BAD_MEDIA_TYPE, 415, badMediaType",
    "RANGE_NOT_SATISFIABLE, 416, computeFault",
    "INTERNAL, 500, computeFault",
    "NOT_IMPLEMENTED, 501, notImplemented",
    "UNAVAILABLE, 503, serviceUnavailable",
  })
  void everyCodeHasNovasFaultNameAndStatus(ErrorCode code, int status, String name) {
    assertThat(code.httpStatus()).isEqualTo(status);
    assertThat(code.novaName()).isEqualTo(name);
    assertThat(Server.fromStatus(status)).isEqualTo(code);
  }

  @ParameterizedTest
  @CsvSource({"418, BAD_REQUEST", "502, INTERNAL", "504, INTERNAL"})
  void unlistedStatusesFallBackByClass(int status, ErrorCode code) {
    assertThat(Server.fromStatus(status)).isEqualTo(code);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "404|The resource could not be found.",
        "405|The method is not allowed for the requested URL.",
        "413|Request is too large. Larger than max_request_body_size (114688).",
      })
  void javalinsOwnRefusalsGetNovasWords(int status, String message) {
    assertThat(Server.message(new io.javalin.http.HttpResponseException(status, "javalin text")))
        .isEqualTo(message);
  }
}

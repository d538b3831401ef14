package dev.glint.error;

/**
 * An error raised, as webob does, with a generic explanation and a specific detail: Glance's body
 * shows both ({@code <explanation><br /><br />\n<detail>}); other APIs show them joined.
 */
public final class DetailedApiException extends ApiException {
  private final String explanation;
  private final String detail;

  public DetailedApiException(ErrorCode code, String explanation, String detail) {
    super(code, explanation + " " + detail);
    this.explanation = explanation;
    this.detail = detail;
  }

  public String explanation() {
    return explanation;
  }

  public String detail() {
    return detail;
  }
}

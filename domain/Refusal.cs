namespace ServiceLedger.Domain;

/// <summary>
/// An expected refusal of input or of a transition: a rule-shaped <paramref name="Code"/> (e.g. <c>AmountMustBePositive</c>),
/// the <paramref name="Field"/> it concerns (a JSON path such as <c>postings[2].amount</c>) and a <paramref name="Message"/> for people
/// that says what would be accepted. The hosting layer maps refusals to RFC 9457 problem details in one place.
/// </summary>
/// <param name="Code">A stable, rule-shaped name that clients may switch on.</param>
/// <param name="Field">The field the refusal concerns, as a JSON path of the request.</param>
/// <param name="Message">What is wrong and what would be accepted.</param>
public sealed record Refusal(string Code, string Field, string Message);

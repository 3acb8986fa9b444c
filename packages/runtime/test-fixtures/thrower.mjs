class ValidationError extends Error {
  name = "ValidationError";
}

export const handler = async (event) => {
  throw new ValidationError(`bad input: ${event.why}`);
};

export const throwsString = async () => {
  throw "a plain string";
};

export const throwsSync = (event, context) => {
  void context;
  throw new RangeError("sync throw");
};

// A TypeScript handler: types and an enum prove it went through a TypeScript transform.
enum Greeting {
  Hello = "hello",
}

interface Event {
  name: string;
}

export const handler = async (event: Event): Promise<{ message: string; lang: string }> => {
  const message: string = `${Greeting.Hello} ${event.name}`;
  return { message, lang: "ts" };
};

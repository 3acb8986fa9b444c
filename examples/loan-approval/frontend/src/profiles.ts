// The three demo applicants and what each shows.

export interface Profile {
  name: string;
  sin: string;
  amount: number;
  credit: string;
  expect: string;
  tone: "indigo" | "rose" | "amber";
}

export const PROFILES: Profile[] = [
  {
    name: "Alice Johnson",
    sin: "123 451 111",
    amount: 150_000,
    credit: "Excellent credit",
    expect: "Above $100,000, so a manager must approve",
    tone: "indigo",
  },
  {
    name: "Bob Martinez",
    sin: "123 452 222",
    amount: 50_000,
    credit: "Poor credit",
    expect: "Denied: credit score too low",
    tone: "rose",
  },
  {
    name: "Charlie Wilson",
    sin: "123 453 333",
    amount: 25_000,
    credit: "Fair credit",
    expect: "Approved up to $25,000, denied above",
    tone: "amber",
  },
];

// Root layout of the Next.js (app router) app of the bundler matrix.
export const metadata = { title: 'nexudus-auth · Next.js' };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
